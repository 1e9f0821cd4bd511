import type { VisitorCatalogue } from './en.js';

export const pt: VisitorCatalogue = {
  launcherRegion: 'Chat',
  launcherOpen: 'Abrir chat',
  launcherUnread: 'Abrir chat ({n} não lidas)',
  proactiveClose: 'Fechar a mensagem',
  prechatConsent:
    'Concordo que os dados que forneço aqui sejam usados para me responder, como descreve a política de privacidade.',
  handoff:
    'Vou passar esta conversa para uma pessoa. Fique por aqui: alguém da equipe vai responder neste chat.',
  handoffAction: 'Falar com uma pessoa',
  ratingPrompt: 'Como foi o atendimento? Avalie esta conversa de 1 a 5.',
  awayUntil:
    'Nossa equipe não está disponível agora. Alguém vai responder a partir de {day} às {time} ({zone}).',
  awayNoHours:
    'Nossa equipe não está disponível agora e não tem horário previsto; alguém vai responder assim que possível.',
  emailKnown: 'Temos o seu e-mail e também vamos responder por lá.',
  emailOffer:
    'Se deixar o seu e-mail aqui, também responderemos por e-mail. Ele será usado apenas para responder a este pedido.',
  emailThanks: 'Obrigado. Também vamos responder para {email}.',
  chooseOption: 'Escolha uma das opções abaixo.',
  skip: 'Pular',
  suggestions: 'Não tenho certeza se tenho a resposta. É uma destas?',
  noAnswer: 'Desculpe, não encontrei uma resposta. Tente perguntar de outro jeito ou fale com uma pessoa.',
  retryEmail: 'Isso não parece um e-mail. Digite no formato nome@example.com.',
  retryPhone: 'Isso não parece um número de telefone. Use dígitos, opcionalmente começando com +.',
  retryOrderNumber: 'Isso não parece um número de pedido. Ele tem de 3 a 40 letras, dígitos ou hifens.',
  retryText: 'Responda com no máximo {max} caracteres.',
  mailSubjectReplies: 'Nova resposta na sua conversa',
  mailSubjectFollowUp: 'Uma resposta na sua conversa',
  mailSubjectTranscript: 'A transcrição da sua conversa',
  mailIntroTranscript: 'Aqui está a transcrição que você pediu.',
  mailIntroAnswerByMail: 'Tem uma resposta na sua conversa. Responda a este e-mail para escrever de volta.',
  mailIntroAnswerInChat: 'Tem uma resposta na sua conversa. Abra o chat no site para escrever de volta.',
  mailReplyMarker: '##- Escreva a sua resposta acima desta linha -##',
  mailYou: 'Você',
  mailFile: '[um arquivo: abra o chat para vê-lo]',
  mailStop: 'Deixar de receber estes e-mails',
  callStartedAudio: '{agent} iniciou uma chamada de voz.',
  callStartedVideo: '{agent} iniciou uma videochamada.',
  callAccepted: 'A chamada foi aceita.',
  callDeclined: 'A chamada foi recusada.',
  callMissed: 'Chamada perdida.',
  callEnded: 'A chamada terminou após {duration}.',
};
